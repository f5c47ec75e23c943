import type { Role } from "../domain/workflow";

/** The signed-in user as every loader, action and model function receives it. */
export type CurrentUser = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  regionId: number;
  regionName: string;
  regionSlug: string;
  currentYear: number;
  skipDepartmentReview: boolean;
  departmentId: number | null;
  unitId: number | null;
};

export const ROLE_LABELS: Record<Role, string> = {
  unit: "项目单位填报人",
  department: "主管部门审核人",
  finance: "财政局绩效科",
  admin: "系统管理员",
};
