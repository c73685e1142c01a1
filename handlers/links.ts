// Short-lived signed links to files the bot makes on request (e.g. a meeting record workbook):
// the link names what to make and until when; an HMAC over that proves the bot issued it.
export interface LinkSigner {
  baseUrl: string;
  secret: string;
}

/** HMAC-SHA256 of `text`, hex. */
export async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  return Array.from(sig, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A link to `path` with these parameters, valid until `expires` (epoch ms). */
export async function signedLink(
  signer: LinkSigner,
  path: string,
  params: Record<string, string>,
  expires: number,
): Promise<string> {
  const q = new URLSearchParams({ ...params, exp: String(expires) });
  q.sort();
  const sig = await hmac(signer.secret, `${path}?${q}`);
  return `${signer.baseUrl.replace(/\/$/, '')}${path}?${q}&sig=${sig}`;
}

/** The parameters of a link this bot signed and that has not expired, or null. */
export async function openLink(
  secret: string,
  path: string,
  query: URLSearchParams,
  now: number,
): Promise<Record<string, string> | null> {
  const sig = query.get('sig') ?? '';
  const q = new URLSearchParams(query);
  q.delete('sig');
  q.sort();
  if (!sameText(sig, await hmac(secret, `${path}?${q}`)) || Number(q.get('exp') ?? 0) < now) return null;
  return Object.fromEntries(q.entries());
}

/** Compares a signature in constant time (how long it takes tells nothing of where they differ). */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
