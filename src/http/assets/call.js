// The review, match and arbitration screens' one way to post to the server: JSON in, JSON out, a refusal thrown as
// an Error with the server's Vietnamese message and its code. A dropped network (fetch rejects with the browser's
// English "Failed to fetch") is thrown in Vietnamese too, with code `network`; the screen keeps what was typed.

/** What the person sees when no answer came: the request may or may not have reached the server. */
export const NETWORK_LOST = 'Mất kết nối mạng: có thể chưa lưu được. Hãy kiểm tra kết nối rồi thử lại.';

/** Posts `body` as JSON with the page's CSRF token; resolves to the answer, throws { message, code } otherwise. */
export async function postJson(url, body, csrf) {
  let response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body ?? {}) });
  } catch {
    throw Object.assign(new Error(NETWORK_LOST), { code: 'network' });
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.message ?? 'Máy chủ không trả lời được yêu cầu. Hãy thử lại.'), { code: data.error });
  return data;
}
