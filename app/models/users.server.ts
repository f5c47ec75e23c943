// Users: sign-in with throttling, and the admin's user management (scoped to the region).
import { and, asc, eq } from "drizzle-orm";
import { db } from "../../db/client.server";
import { departments, units, users, type Role } from "../../db/schema";
import {
  accountKey,
  addressKey,
  allowed,
  clearAccount,
  countAttempt,
  MAX_ACCOUNT_FAILURES,
  MAX_ADDRESS_FAILURES,
  reachedLimit,
  returnAttempt,
  UNKNOWN_ADDRESS,
} from "../auth/login-throttle.server";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "../auth/password.server";
import { endSessionsOf, pruneExpired } from "../auth/session.server";
import type { CurrentUser } from "../auth/types";
import { recordAudit } from "./audit.server";

export const LOGIN_ERROR = "用户名或密码错误";
export const LOCKED_ERROR = "登录失败次数过多，请 15 分钟后再试";

export type LoginResult = { ok: true; userId: number } | { ok: false; error: string };

/**
 * Checks a username and password (docs/decisions/008-sessions-and-login-throttle.md).
 * The attempt is counted on its client address and then on its username (real or not)
 * before any hashing, so parallel guesses each count; over a limit it is refused unhashed.
 * A right password gives the counts back and upgrades a hash of an older cost.
 */
export async function verifyLogin(
  usernameInput: string,
  password: string,
  { address = UNKNOWN_ADDRESS, now = new Date() }: { address?: string; now?: Date } = {},
): Promise<LoginResult> {
  const username = usernameInput.trim().toLowerCase();
  pruneExpired(db, now);
  const byAddress = countAttempt(db, addressKey(address), MAX_ADDRESS_FAILURES, now);
  // A locked address no longer counts against accounts: it could lock them without a hash.
  if (!allowed(byAddress)) return { ok: false, error: LOCKED_ERROR };
  const byAccount = countAttempt(db, accountKey(username), MAX_ACCOUNT_FAILURES, now);

  const user = db.select().from(users).where(eq(users.username, username)).get();
  let valid = false;
  if (allowed(byAccount)) {
    // Hash even for unknown names so the response time does not tell them apart.
    valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  }

  if (user && user.active && valid) {
    clearAccount(db, username);
    returnAttempt(db, byAddress);
    recordAudit(db, { actor: user, entity: "login", entityId: user.id, action: "success", after: { address } });
    if (needsRehash(user.passwordHash)) {
      const passwordHash = await hashPassword(password);
      // Unless an admin reset the password meanwhile.
      db.update(users)
        .set({ passwordHash })
        .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)))
        .run();
    }
    return { ok: true, userId: user.id };
  }

  // Audited once per lock: the failure that reaches a limit, not every refused attempt after it.
  if (reachedLimit(byAccount)) {
    recordAudit(db, {
      actor: null,
      regionId: user?.regionId ?? null,
      entity: "login",
      entityId: user?.id ?? null,
      action: "account_locked",
      after: { username, address, failures: byAccount.count },
    });
  }
  if (reachedLimit(byAddress)) {
    recordAudit(db, { actor: null, entity: "login", entityId: null, action: "address_locked", after: { address, failures: byAddress.count } });
  }
  const locked = !allowed(byAccount) || reachedLimit(byAccount) || reachedLimit(byAddress);
  return { ok: false, error: locked ? LOCKED_ERROR : LOGIN_ERROR };
}

export function listUsers(admin: CurrentUser) {
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      departmentId: users.departmentId,
      unitId: users.unitId,
      departmentName: departments.name,
      unitName: units.name,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(units, eq(units.id, users.unitId))
    .where(eq(users.regionId, admin.regionId))
    .orderBy(asc(users.username))
    .all();
}

export type UserInput = {
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  unitId: number | null;
};

export type FieldErrors = Partial<Record<string, string>>;

/**
 * Resolves the scope columns for a role inside the admin's region. Returns field errors
 * when the chosen department or unit is missing or not in the region.
 */
function resolveScope(
  admin: CurrentUser,
  input: Pick<UserInput, "role" | "departmentId" | "unitId">,
): { departmentId: number | null; unitId: number | null } | FieldErrors {
  if (input.role === "unit") {
    if (!input.unitId) return { unitId: "项目单位填报人必须选择所属单位" };
    const unit = db
      .select()
      .from(units)
      .where(and(eq(units.id, input.unitId), eq(units.regionId, admin.regionId)))
      .get();
    if (!unit) return { unitId: "所选单位不存在" };
    return { departmentId: unit.departmentId, unitId: unit.id };
  }
  if (input.role === "department") {
    if (!input.departmentId) return { departmentId: "主管部门审核人必须选择主管部门" };
    const dept = db
      .select()
      .from(departments)
      .where(and(eq(departments.id, input.departmentId), eq(departments.regionId, admin.regionId)))
      .get();
    if (!dept) return { departmentId: "所选主管部门不存在" };
    return { departmentId: dept.id, unitId: null };
  }
  return { departmentId: null, unitId: null };
}

const isErrors = (x: object): x is FieldErrors => !("departmentId" in x && "unitId" in x);

export async function createUser(
  admin: CurrentUser,
  input: UserInput & { password: string },
): Promise<{ ok: true; id: number } | { ok: false; errors: FieldErrors }> {
  const username = input.username.trim().toLowerCase();
  const scope = resolveScope(admin, input);
  if (isErrors(scope)) return { ok: false, errors: scope };
  if (db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) {
    return { ok: false, errors: { username: "用户名已被使用" } };
  }
  const passwordHash = await hashPassword(input.password);
  const id = db.transaction((tx) => {
    const row = tx
      .insert(users)
      .values({
        regionId: admin.regionId,
        username,
        displayName: input.displayName.trim(),
        role: input.role,
        ...scope,
        passwordHash,
      })
      .returning({ id: users.id })
      .get();
    recordAudit(tx, {
      actor: admin,
      entity: "user",
      entityId: row.id,
      action: "create",
      after: { username, displayName: input.displayName, role: input.role, ...scope },
    });
    return row.id;
  });
  return { ok: true, id };
}

function getRegionUser(admin: CurrentUser, id: number) {
  return db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.regionId, admin.regionId)))
    .get();
}

export function getUserForAdmin(admin: CurrentUser, id: number) {
  const row = getRegionUser(admin, id);
  if (!row) return null;
  const { passwordHash: _omit, ...rest } = row;
  return rest;
}

export function updateUser(
  admin: CurrentUser,
  id: number,
  input: Omit<UserInput, "username">,
): { ok: true } | { ok: false; errors: FieldErrors } | null {
  const before = getRegionUser(admin, id);
  if (!before) return null;
  const scope = resolveScope(admin, input);
  if (isErrors(scope)) return { ok: false, errors: scope };
  if (before.id === admin.id && input.role !== "admin") {
    return { ok: false, errors: { role: "不能取消自己的管理员角色" } };
  }
  db.transaction((tx) => {
    tx.update(users)
      .set({ displayName: input.displayName.trim(), role: input.role, ...scope })
      .where(eq(users.id, id))
      .run();
    recordAudit(tx, {
      actor: admin,
      entity: "user",
      entityId: id,
      action: "update",
      before: { displayName: before.displayName, role: before.role, departmentId: before.departmentId, unitId: before.unitId },
      after: { displayName: input.displayName, role: input.role, ...scope },
    });
  });
  // A role or scope change takes effect at once, not at the next login.
  endSessionsOf(id);
  return { ok: true };
}

export function setUserActive(admin: CurrentUser, id: number, active: boolean): { ok: true } | { ok: false; error: string } | null {
  const before = getRegionUser(admin, id);
  if (!before) return null;
  if (before.id === admin.id && !active) return { ok: false, error: "不能停用自己的账号" };
  db.transaction((tx) => {
    tx.update(users).set({ active }).where(eq(users.id, id)).run();
    recordAudit(tx, {
      actor: admin,
      entity: "user",
      entityId: id,
      action: active ? "activate" : "deactivate",
      before: { active: before.active },
      after: { active },
    });
  });
  if (!active) endSessionsOf(id);
  return { ok: true };
}

export async function resetPassword(admin: CurrentUser, id: number, password: string): Promise<boolean> {
  const before = getRegionUser(admin, id);
  if (!before) return false;
  const passwordHash = await hashPassword(password);
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, id)).run();
    recordAudit(tx, { actor: admin, entity: "user", entityId: id, action: "reset_password" });
  });
  endSessionsOf(id);
  return true;
}
