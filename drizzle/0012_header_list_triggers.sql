-- projects.name / category / budget_total copy the header of the version in force
-- (docs/decisions/026). Kept by triggers, as the other mirrors of the version in force are
-- (0008; docs/decisions/028): a header saved or a version made current updates them in the
-- same statement, whatever code path wrote it.
CREATE TRIGGER project_headers_list_insert AFTER INSERT ON project_headers BEGIN
  UPDATE projects SET name = new.name, category = new.category, budget_total = new.budget_total, updated_at = (unixepoch('subsec') * 1000)
    WHERE id = (SELECT t.project_id FROM target_tables t WHERE t.id = new.table_id AND t.is_current = 1);
END
--> statement-breakpoint
CREATE TRIGGER project_headers_list_update AFTER UPDATE OF name, category, budget_total ON project_headers BEGIN
  UPDATE projects SET name = new.name, category = new.category, budget_total = new.budget_total, updated_at = (unixepoch('subsec') * 1000)
    WHERE id = (SELECT t.project_id FROM target_tables t WHERE t.id = new.table_id AND t.is_current = 1);
END
--> statement-breakpoint
CREATE TRIGGER target_tables_list_columns AFTER UPDATE OF is_current ON target_tables
  WHEN new.is_current = 1 AND old.is_current = 0 AND new.project_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM project_headers h WHERE h.table_id = new.id)
BEGIN
  UPDATE projects SET
    name = (SELECT h.name FROM project_headers h WHERE h.table_id = new.id),
    category = (SELECT h.category FROM project_headers h WHERE h.table_id = new.id),
    budget_total = (SELECT h.budget_total FROM project_headers h WHERE h.table_id = new.id),
    updated_at = (unixepoch('subsec') * 1000)
  WHERE id = new.project_id;
END
