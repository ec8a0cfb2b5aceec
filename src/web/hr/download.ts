import { apiFetch } from '../lib/api.js';

export interface Downloaded {
  fileName: string;
  sha256: string | null;
  bytes: number;
}

/** The file name from Content-Disposition, if the server named it. */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain?.[1] ?? fallback;
}

/**
 * Downloads an authenticated file. A plain link cannot carry the Authorization header, so the
 * bytes are fetched, wrapped in an object URL and handed to the browser's download machinery.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<Downloaded> {
  const res = await apiFetch(path, {});
  const blob = await res.blob();
  const fileName = fileNameOf(res, fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { fileName, sha256: res.headers.get('X-Content-SHA256'), bytes: blob.size };
}

/** "Q3 2025" → "q3-2025", for file names. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'period';
}
