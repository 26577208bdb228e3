/**
 * Roles and what each may do. Every web route names one permission; a role has only the permissions
 * its work needs (least privilege). Admin keeps the whole system running and may do everything.
 */
export const ROLES = ['staff', 'verifier', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  staff: 'Cán bộ lưu trữ',
  verifier: 'Người kiểm tra',
  supervisor: 'Giám sát viên',
  admin: 'Quản trị viên',
};

export const PERMISSIONS = {
  /** Book dashboard and page problems. */
  books: ['staff', 'supervisor', 'admin'],
  /** Upload scans of books. */
  upload: ['staff', 'admin'],
  /** Review queue: check and key fields. */
  review: ['verifier', 'supervisor', 'admin'],
  /** Arbitration of double-keying disagreements, corrections of verified values. */
  arbitrate: ['supervisor', 'admin'],
  /** Accounts of their offices: create, disable/enable, reset passwords (src/auth/manage.ts says whose). */
  accounts: ['supervisor', 'admin'],
  /** Anything a signed-in person may do: sign out, see their own home page. */
  signed_in: ['staff', 'verifier', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function may(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * Where a person lands after signing in: the first screen their role works on. Only a verifier lands on the review
 * screen, which holds the next entry for them as it opens: a supervisor overseeing the offices' books (or an admin)
 * must not silently keep an entry from the verifiers for the hold's minutes; they open review when they mean to.
 */
export function homeOf(role: Role): string {
  return role === 'verifier' ? '/review' : '/books';
}
