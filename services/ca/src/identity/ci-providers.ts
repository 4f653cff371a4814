// Built-in CI provider mappings, AS DATA, in Fulcio's CIIssuerMetadata form (config/identity/config.yaml,
// `ci-issuer-metadata`). Each row maps token claims to certificate extensions through templates that
// ci-provider.ts evaluates; adding a provider is a row here plus a token vector in ci-provider.test.ts.
// A `CIIssuerMetadata` entry of the same name in the configuration file replaces the built-in row.

/** One CI provider's templates, exactly as Fulcio's configuration spells them (kebab-case keys). */
export interface CiProviderSource {
  /** Values a template may use when the token lacks the claim; token claims win. */
  'default-template-values': Record<string, string>;
  /** Extension name → claim name (copied) or Go template (contains `{{`). */
  'extension-templates': Record<string, string>;
  /** Template of the certificate's URI SAN. Required. */
  'subject-alternative-name-template': string;
}

/** Built-in providers by the names Fulcio's public configuration uses for them. */
export const BUILTIN_CI_PROVIDERS: Readonly<Record<string, CiProviderSource>> = {
  // GitHub Actions: https://docs.github.com/actions/reference/openid-connect-reference
  'github-workflow': {
    'default-template-values': { url: 'https://github.com', environment: '' },
    'extension-templates': {
      'github-workflow-trigger': 'event_name',
      'github-workflow-sha': 'sha',
      'github-workflow-name': 'workflow',
      'github-workflow-repository': 'repository',
      'github-workflow-ref': 'ref',
      'build-signer-uri': '{{ .url }}/{{ .job_workflow_ref }}',
      'build-signer-digest': 'job_workflow_sha',
      'runner-environment': 'runner_environment',
      'source-repository-uri': '{{ .url }}/{{ .repository }}',
      'source-repository-digest': 'sha',
      'source-repository-ref': 'ref',
      'source-repository-identifier': 'repository_id',
      'source-repository-owner-uri': '{{ .url }}/{{ .repository_owner }}',
      'source-repository-owner-identifier': 'repository_owner_id',
      'build-config-uri': '{{ .url }}/{{ .workflow_ref }}',
      'build-config-digest': 'workflow_sha',
      'build-trigger': 'event_name',
      'run-invocation-uri': '{{ .url }}/{{ .repository }}/actions/runs/{{ .run_id }}/attempts/{{ .run_attempt }}',
      'source-repository-visibility-at-signing': 'repository_visibility',
      'deployment-environment': 'environment',
    },
    'subject-alternative-name-template': '{{ .url }}/{{ .job_workflow_ref }}',
  },
  // GitLab CI id_tokens: https://docs.gitlab.com/ci/secrets/id_token_authentication/
  'gitlab-pipeline': {
    'default-template-values': { url: 'https://gitlab.com', environment: '' },
    'extension-templates': {
      'build-signer-uri': 'https://{{ .ci_config_ref_uri }}',
      'build-signer-digest': 'ci_config_sha',
      'runner-environment': 'runner_environment',
      'source-repository-uri': '{{ .url }}/{{ .project_path }}',
      'source-repository-digest': 'sha',
      'source-repository-ref': 'refs/{{if eq .ref_type "branch"}}heads/{{ else }}tags/{{end}}{{ .ref }}',
      'source-repository-identifier': 'project_id',
      'source-repository-owner-uri': '{{ .url }}/{{ .namespace_path }}',
      'source-repository-owner-identifier': 'namespace_id',
      'build-config-uri': 'https://{{ .ci_config_ref_uri }}',
      'build-config-digest': 'ci_config_sha',
      'build-trigger': 'pipeline_source',
      'run-invocation-uri': '{{ .url }}/{{ .project_path }}/-/jobs/{{ .job_id }}',
      'source-repository-visibility-at-signing': 'project_visibility',
      'deployment-environment': 'environment',
    },
    'subject-alternative-name-template': 'https://{{ .ci_config_ref_uri }}',
  },
  // Buildkite agent OIDC tokens: https://buildkite.com/docs/agent/v3/cli-oidc
  'buildkite-job': {
    'default-template-values': { url: 'https://buildkite.com' },
    'extension-templates': {
      'run-invocation-uri': '{{.url}}/{{.organization_slug}}/{{.pipeline_slug}}/builds/{{.build_number}}#{{.job_id}}',
      'runner-environment': 'runner_environment',
      'source-repository-digest': 'build_commit',
      'build-trigger': 'build_source',
    },
    'subject-alternative-name-template': '{{.url}}/{{.organization_slug}}/{{.pipeline_slug}}',
  },
};
