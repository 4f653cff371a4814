import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, MissingKeyError } from './template.js';

const data = new Map(Object.entries({
  url: 'https://github.com',
  repository: 'octo/app',
  ref_type: 'branch',
  ref: 'main',
  'oidc.circleci.com/project-id': 'p-1',
  empty: '',
}));

test('renders fields, index, if/else and eq like Go text/template', () => {
  const cases: [string, string][] = [
    ['{{ .url }}/{{ .repository }}', 'https://github.com/octo/app'],
    ['{{.url}}/{{.repository}}', 'https://github.com/octo/app'],
    ['refs/{{if eq .ref_type "branch"}}heads/{{ else }}tags/{{end}}{{ .ref }}', 'refs/heads/main'],
    ['{{ index . "oidc.circleci.com/project-id" }}', 'p-1'],
    ['x/{{(index . "oidc.circleci.com/project-id")}}', 'x/p-1'],
    ['{{if eq (index . "missing") "true"}}ssh-rerun{{ else }}""{{end}}', '""'],
    ['{{if .empty}}a{{else if eq .ref "main"}}b{{else}}c{{end}}', 'b'],
    ['{{if ne .ref "main"}}a{{else}}b{{end}}', 'b'],
    ['{{if not .empty}}yes{{end}}', 'yes'],
    ['{{if eq .ref "dev" "main"}}multi{{end}}', 'multi'],
    ['a  {{- .ref -}}  b', 'amainb'],
    ['repository', 'octo/app'],
  ];
  for (const [src, want] of cases) assert.equal(compileTemplate(src).render(data), want, src);
});

test('a field or bare claim missing from the data is a MissingKeyError naming it', () => {
  for (const src of ['{{ .url }}/{{ .job_workflow_ref }}', 'job_workflow_ref']) {
    assert.throws(() => compileTemplate(src).render(data), (err: unknown) => err instanceof MissingKeyError && err.key === 'job_workflow_ref');
  }
});

test('unsupported or malformed templates are refused at compile time', () => {
  for (const src of ['{{ .url', '{{if .url}}x', '{{end}}', '{{else}}', '{{ .url | printf "%s" }}', '{{ $x := .url }}', '{{ range . }}{{end}}', '{{.}}', '{{}}', '{{ eq .url }}', '']) {
    assert.throws(() => compileTemplate(src), Error, src);
  }
});
