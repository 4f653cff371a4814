// Search keys from an in-toto statement inside a DSSE payload (rekor.md §5): every subject digest
// `alg:hex`, plus SLSA provenance `materials` digests when present.

/** The DSSE payload type of in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  return new Uint8Array(
    Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]),
  );
}

/**
 * The digest search keys of an in-toto statement. Returns [] for another payload type or a payload
 * that is not a JSON statement (the entry is still logged, as Rekor does).
 */
export function inTotoSearchKeys(payloadType: string, payload: Uint8Array): string[] {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) return [];
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return [];
  }
  const keys: string[] = [];
  const collect = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      const digest = (item as { digest?: unknown } | null)?.digest;
      if (typeof digest !== 'object' || digest === null) continue;
      for (const [alg, value] of Object.entries(digest)) if (typeof value === 'string') keys.push(`${alg}:${value}`);
    }
  };
  const s = statement as { subject?: unknown; predicate?: { materials?: unknown } } | null;
  collect(s?.subject);
  collect(s?.predicate?.materials);
  return keys;
}
