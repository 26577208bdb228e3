import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError, createAccount, type Account } from '../auth/accounts.ts';
import { listAccounts, mayManage, officesOf, rolesAssignableBy, setAccountDisabled, setAccountPassword, type ManagedAccount } from '../auth/manage.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { ROLE_NAMES, type Role } from '../auth/roles.ts';
import { recordAudit } from '../db/audit.ts';
import { csrfOf } from './guard.ts';
import { escapeHtml } from './layout.ts';
import { formState, HttpRefusal } from './refusals.ts';
import { sendPage, type HttpDeps } from './server.ts';

/** What a person reads when an account cannot be created (AccountError codes), and the form field it is about. */
const ACCOUNT_ERROR_FIELDS: Record<AccountError['code'], string> = { account_exists: 'name', bad_account_name: 'name', unknown_office: 'offices', password_too_short: 'name' };
const ACCOUNT_ERRORS: Record<AccountError['code'], string> = {
  account_exists: 'Tên đăng nhập này đã có. Hãy chọn tên khác.',
  bad_account_name: 'Tên đăng nhập dài 2–63 ký tự: chữ thường không dấu, chữ số, dấu ".", "_" hoặc "-".',
  unknown_office: 'Cơ quan đăng ký không tồn tại.',
  password_too_short: 'Mật khẩu quá ngắn.',
};

/** Shown once after creating an account or resetting its password; never stored, never logged. */
interface OneTimePassword {
  name: string;
  password: string;
  created: boolean;
}

async function renderAccounts(deps: Pick<HttpDeps, 'db'>, request: FastifyRequest, reply: FastifyReply, notice: { oneTime?: OneTimePassword; ok?: string } = {}) {
  const manager = request.account!;
  const csrf = escapeHtml(csrfOf(request) ?? '');
  const [accounts, offices] = await Promise.all([listAccounts(deps.db), officesOf(deps.db, manager)]);
  const visible = accounts.filter((a) => a.id === manager.id || mayManage(manager, a));
  const action = (a: ManagedAccount, path: string, label: string) =>
    `<form method="post" action="/accounts/${a.id}/${path}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">${label}</button></form>`;
  const rows = visible
    .map((a) => {
      const self = a.id === manager.id;
      const actions = self
        ? '<span class="hint">(tài khoản của bạn)</span>'
        : `${a.disabled ? action(a, 'enable', 'Kích hoạt lại') : action(a, 'disable', 'Vô hiệu hóa')} ${action(a, 'password', 'Đặt lại mật khẩu')}`;
      return `<tr data-account="${escapeHtml(a.name)}"${a.disabled ? ' class="disabled"' : ''}><td>${escapeHtml(a.name)}</td><td>${ROLE_NAMES[a.role]}</td>
<td>${a.allOffices ? 'Mọi cơ quan' : escapeHtml(a.officeCodes.join(', ') || '–')}</td><td class="state">${a.disabled ? 'Đã vô hiệu hóa' : 'Đang hoạt động'}</td><td>${actions}</td></tr>`;
    })
    .join('\n');
  const oneTime = notice.oneTime
    ? `<div class="notice" role="status" id="one-time"><p>${notice.oneTime.created ? 'Đã tạo tài khoản' : 'Đã đặt lại mật khẩu cho'} <b>${escapeHtml(notice.oneTime.name)}</b>. Mật khẩu:</p>
<p><code class="password">${escapeHtml(notice.oneTime.password)}</code></p>
<p class="hint">Mật khẩu chỉ hiện một lần này và không được lưu ở đâu. Hãy ghi lại và trao tận tay người dùng. Lần đăng nhập đầu tiên, người dùng phải tự đặt mật khẩu mới.</p></div>`
    : '';
  const form = formState(request, '/accounts');
  const role = form.value('role', 'verifier');
  const roleOptions = rolesAssignableBy(manager).map((r) => `<option value="${r}"${r === role ? ' selected' : ''}>${ROLE_NAMES[r]}</option>`).join('');
  const box = (name: string, label: string) => `<label><input type="checkbox" name="${escapeHtml(name)}" value="on"${form.checked(name) ? ' checked' : ''}> ${label}</label>`;
  const officeBoxes = [
    ...(manager.allOffices && manager.role === 'admin' ? [box('all_offices', 'Mọi cơ quan')] : []),
    ...offices.map((o) => box(`office_${o.code}`, `${escapeHtml(o.code)} – ${escapeHtml(o.name)}`)),
  ].join('\n');
  return sendPage(request, reply, 'Tài khoản', `<h1>Tài khoản</h1>
${notice.ok ? `<p class="ok" role="status">${escapeHtml(notice.ok)}</p>` : ''}
${oneTime}
<table class="grid" id="accounts"><thead><tr><th>Tên đăng nhập</th><th>Vai trò</th><th>Cơ quan</th><th>Trạng thái</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Tạo tài khoản</h2>
<form method="post" action="/accounts" class="account-form">
<input type="hidden" name="_csrf" value="${csrf}">
<label>Tên đăng nhập <input name="name" required pattern="[a-z0-9][a-z0-9._\\-]{1,62}" autocomplete="off" value="${escapeHtml(form.value('name'))}"${form.invalid('name')}>${form.error('name')}</label>
<label>Vai trò <select name="role">${roleOptions}</select></label>
<fieldset${form.invalid('offices')}><legend>Cơ quan đăng ký</legend>${form.error('offices')}${officeBoxes || '<p class="hint">Chưa có cơ quan nào.</p>'}</fieldset>
<button type="submit">Tạo tài khoản</button>
</form>
<p class="hint">Mật khẩu được tạo ngẫu nhiên và chỉ hiện một lần. Vô hiệu hóa hoặc đặt lại mật khẩu sẽ đăng xuất người đó ngay. Mọi thao tác được ghi vào nhật ký.</p>`, { reloadAs: '/accounts' });
}

/** The account a request acts on, if the signed-in manager may manage it. */
async function managedTarget(deps: Pick<HttpDeps, 'db'>, manager: Account, rawId: string): Promise<ManagedAccount> {
  const id = Number(rawId);
  const target = Number.isSafeInteger(id) ? (await listAccounts(deps.db)).find((a) => a.id === id) : undefined;
  if (!target) throw new HttpRefusal('not_found');
  if (target.id === manager.id || !mayManage(manager, target)) throw new HttpRefusal('forbidden_account');
  return target;
}

/**
 * Supervisors and admins manage the accounts of their offices: list, create (with a one-time password),
 * disable/enable, reset a password. Plain forms (CSRF field), every action audited, never the password.
 */
export function registerAccountRoutes(app: FastifyInstance, deps: Pick<HttpDeps, 'db'>): void {
  app.get('/accounts', { config: { access: 'accounts' } }, async (request, reply) => renderAccounts(deps, request, reply));

  app.post('/accounts', { config: { access: 'accounts', formPage: (request, reply) => renderAccounts(deps, request, reply) } }, async (request, reply) => {
    const manager = request.account!;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim().toLowerCase() : '';
    const role = body.role as Role;
    const allOffices = body.all_offices === 'on';
    const codes = Object.keys(body).filter((k) => k.startsWith('office_') && body[k] === 'on').map((k) => k.slice('office_'.length));
    if (!rolesAssignableBy(manager).includes(role)) throw new HttpRefusal('forbidden_account');
    if (allOffices ? !(manager.role === 'admin' && manager.allOffices) : codes.length === 0) throw new HttpRefusal('bad_request', 'Hãy chọn ít nhất một cơ quan đăng ký.', 'offices');
    const inScope = new Set((await officesOf(deps.db, manager)).map((o) => o.code));
    if (codes.some((c) => !inScope.has(c))) throw new HttpRefusal('forbidden_office');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    try {
      await deps.db.transaction(async (tx) => {
        const created = await createAccount(tx, { name, role, officeCodes: allOffices ? 'all' : codes, passwordHash, mustChangePassword: true });
        await recordAudit(tx, { actor: manager.name, action: 'account_created', objectType: 'account', objectId: created.id, detail: { role, offices: allOffices ? 'all' : codes } });
      });
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      throw new HttpRefusal('bad_request', ACCOUNT_ERRORS[error.code], ACCOUNT_ERROR_FIELDS[error.code]);
    }
    return renderAccounts(deps, request, reply, { oneTime: { name, password, created: true } });
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: { id: string } }>(`/accounts/:id/${path}`, { config: { access: 'accounts' } }, async (request, reply) => {
      const target = await managedTarget(deps, request.account!, request.params.id);
      await deps.db.transaction(async (tx) => {
        await setAccountDisabled(tx, target.id, disabled);
        await recordAudit(tx, { actor: request.account!.name, action: disabled ? 'account_disabled' : 'account_enabled', objectType: 'account', objectId: target.id });
      });
      return renderAccounts(deps, request, reply, { ok: disabled ? `Đã vô hiệu hóa tài khoản ${target.name}.` : `Đã kích hoạt lại tài khoản ${target.name}.` });
    });
  }

  app.post<{ Params: { id: string } }>('/accounts/:id/password', { config: { access: 'accounts' } }, async (request, reply) => {
    const target = await managedTarget(deps, request.account!, request.params.id);
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await deps.db.transaction(async (tx) => {
      await setAccountPassword(tx, target.id, passwordHash);
      await recordAudit(tx, { actor: request.account!.name, action: 'account_password_reset', objectType: 'account', objectId: target.id });
    });
    return renderAccounts(deps, request, reply, { oneTime: { name: target.name, password, created: false } });
  });
}
