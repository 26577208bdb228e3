import type { Account } from '../auth/accounts.ts';
import { may, ROLE_NAMES } from '../auth/roles.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Vietnam has one time zone; people read times on their own clock, not in UTC. */
const VIETNAM_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A moment as the UI shows it: "28/11/2026 09:19", Vietnam's time. */
export function localTime(at: Date): string {
  const part = Object.fromEntries(VIETNAM_TIME.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
}

/**
 * The page shell every screen shares: Vietnamese, assets served by civreg only (works offline), the
 * CSRF token in a meta tag for scripts and in the sign-out form, and a menu of what the role may open.
 */
export function renderPage(options: { title: string; body: string; account?: Account | null; csrf?: string | null; scripts?: string[]; refreshSeconds?: number; reloadAs?: string }): string {
  const { account, csrf } = options;
  const menu = account
    ? `<nav><span class="brand">civreg</span>
${may(account.role, 'books') ? '<a href="/books">Sổ</a>' : ''}
${may(account.role, 'upload') ? '<a href="/upload">Tải lên</a>' : ''}
${may(account.role, 'review') ? '<a href="/review">Kiểm tra</a>' : ''}
${may(account.role, 'review') ? '<a href="/matches">Đối chiếu</a>' : ''}
${may(account.role, 'review') ? '<a href="/keying">Nhập tay</a>' : ''}
${may(account.role, 'arbitrate') ? '<a href="/arbitration">Phân xử</a>' : ''}
${may(account.role, 'accounts') ? '<a href="/accounts">Tài khoản</a>' : ''}
<span class="who">${escapeHtml(account.name)} · ${ROLE_NAMES[account.role]}</span>
<a href="/password">Đổi mật khẩu</a>
<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${escapeHtml(csrf ?? '')}"><button type="submit">Đăng xuất</button></form></nav>`
    : '<nav><span class="brand">civreg</span></nav>';
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} – civreg</title>
${csrf ? `<meta name="csrf-token" content="${escapeHtml(csrf)}">` : ''}
${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
${options.reloadAs ? `<meta name="reload-as" content="${escapeHtml(options.reloadAs)}"><script type="module" src="/assets/post-result.js"></script>` : ''}
<link rel="stylesheet" href="/assets/app.css">
${(options.scripts ?? []).map((s) => `<script type="module" src="${escapeHtml(s)}"></script>`).join('\n')}
</head><body>
${menu}
<main>
${options.body}
</main>
</body></html>`;
}
