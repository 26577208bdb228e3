import type { BookSummary } from '../db/books.ts';

const REGISTER_NAMES: Record<string, string> = { birth: 'Khai sinh', marriage: 'Kết hôn', death: 'Khai tử', other: 'Khác' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The plain list of books and their progress, in Vietnamese. */
export function renderBooksPage(books: BookSummary[]): string {
  const rows = books
    .map((b) => {
      const status = b.pagesFailed > 0 ? 'Có lỗi' : b.pages > 0 && b.pagesDone + b.pagesRejected + b.pagesDuplicate >= b.pages ? 'Đã xử lý' : 'Đang xử lý';
      return `<tr><td>${escapeHtml(b.office)}</td><td>${REGISTER_NAMES[b.registerType] ?? b.registerType}</td>
        <td>${escapeHtml(b.bookNo)}</td><td>${b.yearFrom ?? ''}</td><td>${b.pages}</td><td>${b.pagesDone}</td>
        <td>${b.pagesRejected}</td><td>${b.pagesDuplicate}</td><td>${b.pagesFailed}</td><td>${b.words}</td><td>${status}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>civreg – Sổ hộ tịch</title>
<meta http-equiv="refresh" content="10">
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>
</head><body>
<h1>Sổ hộ tịch đã tiếp nhận</h1>
${books.length === 0 ? '<p>Chưa có sổ nào.</p>' : `<table>
<thead><tr><th>Cơ quan đăng ký</th><th>Loại sổ</th><th>Quyển số</th><th>Năm</th><th>Số trang</th><th>Đã đọc (OCR)</th><th>Bị từ chối</th><th>Trùng lặp</th><th>Lỗi</th><th>Số từ</th><th>Trạng thái</th></tr></thead>
<tbody>
${rows}
</tbody></table>`}
</body></html>`;
}
