-- The projects' mirrors of their version in force (db/schema.ts, projects.status …): kept
-- by these triggers only. docs/decisions/028-province-scale.md.
CREATE TRIGGER target_tables_mirror_insert AFTER INSERT ON target_tables WHEN new.project_id IS NOT NULL BEGIN
  UPDATE projects SET
    status = (SELECT t.status FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 1),
    error_count = coalesce((SELECT t.error_count FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 1), 0),
    warning_count = coalesce((SELECT t.warning_count FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 1), 0),
    adjustment_status = (SELECT t.status FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 0
                           AND t.status IN ('draft', 'returned', 'pending_department', 'pending_finance') ORDER BY t.version DESC LIMIT 1)
  WHERE id = new.project_id;
END
--> statement-breakpoint
CREATE TRIGGER target_tables_mirror_update AFTER UPDATE OF project_id, version, status, is_current, error_count, warning_count ON target_tables BEGIN
  UPDATE projects SET
    status = (SELECT t.status FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 1),
    error_count = coalesce((SELECT t.error_count FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 1), 0),
    warning_count = coalesce((SELECT t.warning_count FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 1), 0),
    adjustment_status = (SELECT t.status FROM target_tables t WHERE t.project_id = new.project_id AND t.is_current = 0
                           AND t.status IN ('draft', 'returned', 'pending_department', 'pending_finance') ORDER BY t.version DESC LIMIT 1)
  WHERE id = new.project_id;
  UPDATE projects SET
    status = (SELECT t.status FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 1),
    error_count = coalesce((SELECT t.error_count FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 1), 0),
    warning_count = coalesce((SELECT t.warning_count FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 1), 0),
    adjustment_status = (SELECT t.status FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 0
                           AND t.status IN ('draft', 'returned', 'pending_department', 'pending_finance') ORDER BY t.version DESC LIMIT 1)
  WHERE id = old.project_id AND old.project_id IS NOT new.project_id;
END
--> statement-breakpoint
CREATE TRIGGER target_tables_mirror_delete AFTER DELETE ON target_tables WHEN old.project_id IS NOT NULL BEGIN
  UPDATE projects SET
    status = (SELECT t.status FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 1),
    error_count = coalesce((SELECT t.error_count FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 1), 0),
    warning_count = coalesce((SELECT t.warning_count FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 1), 0),
    adjustment_status = (SELECT t.status FROM target_tables t WHERE t.project_id = old.project_id AND t.is_current = 0
                           AND t.status IN ('draft', 'returned', 'pending_department', 'pending_finance') ORDER BY t.version DESC LIMIT 1)
  WHERE id = old.project_id;
END
--> statement-breakpoint
UPDATE projects SET
    status = (SELECT t.status FROM target_tables t WHERE t.project_id = projects.id AND t.is_current = 1),
    error_count = coalesce((SELECT t.error_count FROM target_tables t WHERE t.project_id = projects.id AND t.is_current = 1), 0),
    warning_count = coalesce((SELECT t.warning_count FROM target_tables t WHERE t.project_id = projects.id AND t.is_current = 1), 0),
    adjustment_status = (SELECT t.status FROM target_tables t WHERE t.project_id = projects.id AND t.is_current = 0
                           AND t.status IN ('draft', 'returned', 'pending_department', 'pending_finance') ORDER BY t.version DESC LIMIT 1)
--> statement-breakpoint
-- project_counts: one row per key, kept in the same transaction as every change to projects.
CREATE TRIGGER project_counts_insert AFTER INSERT ON projects BEGIN
  INSERT INTO project_counts (region_id, year, department_id, unit_id, category, status, adjustment_status, n, errors, warnings) VALUES (new.region_id, new.year, new.department_id, coalesce(new.unit_id, 0), coalesce(new.category, ''), coalesce(new.status, 'none'), coalesce(new.adjustment_status, ''), 1, new.error_count, new.warning_count)
    ON CONFLICT (region_id, year, department_id, unit_id, category, status, adjustment_status) DO UPDATE SET n = n + 1, errors = errors + excluded.errors, warnings = warnings + excluded.warnings;
END
--> statement-breakpoint
CREATE TRIGGER project_counts_delete AFTER DELETE ON projects BEGIN
  UPDATE project_counts SET n = n - 1, errors = errors - old.error_count, warnings = warnings - old.warning_count WHERE region_id = old.region_id AND year = old.year AND department_id = old.department_id AND unit_id = coalesce(old.unit_id, 0) AND category = coalesce(old.category, '') AND status = coalesce(old.status, 'none') AND adjustment_status = coalesce(old.adjustment_status, '');
  DELETE FROM project_counts WHERE region_id = old.region_id AND year = old.year AND department_id = old.department_id AND unit_id = coalesce(old.unit_id, 0) AND category = coalesce(old.category, '') AND status = coalesce(old.status, 'none') AND adjustment_status = coalesce(old.adjustment_status, '') AND n = 0;
END
--> statement-breakpoint
CREATE TRIGGER project_counts_update AFTER UPDATE OF region_id, year, department_id, unit_id, category, status, adjustment_status, error_count, warning_count ON projects
  WHEN old.region_id IS NOT new.region_id OR old.year IS NOT new.year OR old.department_id IS NOT new.department_id OR old.unit_id IS NOT new.unit_id
    OR old.category IS NOT new.category OR old.status IS NOT new.status OR old.adjustment_status IS NOT new.adjustment_status
    OR old.error_count IS NOT new.error_count OR old.warning_count IS NOT new.warning_count
BEGIN
  UPDATE project_counts SET n = n - 1, errors = errors - old.error_count, warnings = warnings - old.warning_count WHERE region_id = old.region_id AND year = old.year AND department_id = old.department_id AND unit_id = coalesce(old.unit_id, 0) AND category = coalesce(old.category, '') AND status = coalesce(old.status, 'none') AND adjustment_status = coalesce(old.adjustment_status, '');
  DELETE FROM project_counts WHERE region_id = old.region_id AND year = old.year AND department_id = old.department_id AND unit_id = coalesce(old.unit_id, 0) AND category = coalesce(old.category, '') AND status = coalesce(old.status, 'none') AND adjustment_status = coalesce(old.adjustment_status, '') AND n = 0;
  INSERT INTO project_counts (region_id, year, department_id, unit_id, category, status, adjustment_status, n, errors, warnings) VALUES (new.region_id, new.year, new.department_id, coalesce(new.unit_id, 0), coalesce(new.category, ''), coalesce(new.status, 'none'), coalesce(new.adjustment_status, ''), 1, new.error_count, new.warning_count)
    ON CONFLICT (region_id, year, department_id, unit_id, category, status, adjustment_status) DO UPDATE SET n = n + 1, errors = errors + excluded.errors, warnings = warnings + excluded.warnings;
END
--> statement-breakpoint
INSERT INTO project_counts (region_id, year, department_id, unit_id, category, status, adjustment_status, n, errors, warnings)
  SELECT p.region_id, p.year, p.department_id, coalesce(p.unit_id, 0), coalesce(p.category, ''), coalesce(p.status, 'none'), coalesce(p.adjustment_status, ''), count(*), sum(p.error_count), sum(p.warning_count) FROM projects p
  GROUP BY p.region_id, p.year, p.department_id, coalesce(p.unit_id, 0), coalesce(p.category, ''), coalesce(p.status, 'none'), coalesce(p.adjustment_status, '')
--> statement-breakpoint
-- Project search: one token per letter or digit, prefixed by the region (db/search-tokens.ts).
CREATE VIRTUAL TABLE project_search USING fts5(tokens)
--> statement-breakpoint
CREATE TRIGGER project_search_insert AFTER INSERT ON projects BEGIN
  INSERT INTO project_search (rowid, tokens) VALUES (new.id, jixiao_search_document(new.region_id, new.name, new.code));
END
--> statement-breakpoint
CREATE TRIGGER project_search_update AFTER UPDATE OF region_id, name, code ON projects BEGIN
  DELETE FROM project_search WHERE rowid = old.id;
  INSERT INTO project_search (rowid, tokens) VALUES (new.id, jixiao_search_document(new.region_id, new.name, new.code));
END
--> statement-breakpoint
CREATE TRIGGER project_search_delete AFTER DELETE ON projects BEGIN
  DELETE FROM project_search WHERE rowid = old.id;
END
--> statement-breakpoint
INSERT INTO project_search (rowid, tokens) SELECT id, jixiao_search_document(region_id, name, code) FROM projects
--> statement-breakpoint
-- report_counts: a round's entries per department, status, lights and grade.
CREATE TRIGGER report_counts_insert AFTER INSERT ON reports BEGIN
  INSERT INTO report_counts (round_id, department_id, is_project, status, budget_light, grade, has_green, has_yellow, has_red, n, green, yellow, red, score_sum) VALUES (new.round_id, new.department_id, new.project_id IS NOT NULL, new.status, coalesce(new.budget_light, ''), coalesce(new.grade, ''), new.green > 0, new.yellow > 0, new.red > 0, 1, new.green, new.yellow, new.red, coalesce(new.score, 0))
    ON CONFLICT (round_id, department_id, is_project, status, budget_light, grade, has_green, has_yellow, has_red) DO UPDATE SET n = n + 1, green = green + excluded.green, yellow = yellow + excluded.yellow, red = red + excluded.red, score_sum = score_sum + excluded.score_sum;
END
--> statement-breakpoint
CREATE TRIGGER report_counts_delete AFTER DELETE ON reports BEGIN
  UPDATE report_counts SET n = n - 1, green = green - old.green, yellow = yellow - old.yellow, red = red - old.red, score_sum = score_sum - coalesce(old.score, 0) WHERE round_id = old.round_id AND department_id = old.department_id AND is_project = (old.project_id IS NOT NULL) AND status = old.status AND budget_light = coalesce(old.budget_light, '') AND grade = coalesce(old.grade, '') AND has_green = (old.green > 0) AND has_yellow = (old.yellow > 0) AND has_red = (old.red > 0);
  DELETE FROM report_counts WHERE round_id = old.round_id AND department_id = old.department_id AND is_project = (old.project_id IS NOT NULL) AND status = old.status AND budget_light = coalesce(old.budget_light, '') AND grade = coalesce(old.grade, '') AND has_green = (old.green > 0) AND has_yellow = (old.yellow > 0) AND has_red = (old.red > 0) AND n = 0;
END
--> statement-breakpoint
CREATE TRIGGER report_counts_update AFTER UPDATE OF round_id, department_id, project_id, status, budget_light, grade, green, yellow, red, score ON reports
  WHEN old.round_id IS NOT new.round_id OR old.department_id IS NOT new.department_id OR old.project_id IS NOT new.project_id OR old.status IS NOT new.status
    OR old.budget_light IS NOT new.budget_light OR old.grade IS NOT new.grade OR old.green IS NOT new.green OR old.yellow IS NOT new.yellow
    OR old.red IS NOT new.red OR old.score IS NOT new.score
BEGIN
  UPDATE report_counts SET n = n - 1, green = green - old.green, yellow = yellow - old.yellow, red = red - old.red, score_sum = score_sum - coalesce(old.score, 0) WHERE round_id = old.round_id AND department_id = old.department_id AND is_project = (old.project_id IS NOT NULL) AND status = old.status AND budget_light = coalesce(old.budget_light, '') AND grade = coalesce(old.grade, '') AND has_green = (old.green > 0) AND has_yellow = (old.yellow > 0) AND has_red = (old.red > 0);
  DELETE FROM report_counts WHERE round_id = old.round_id AND department_id = old.department_id AND is_project = (old.project_id IS NOT NULL) AND status = old.status AND budget_light = coalesce(old.budget_light, '') AND grade = coalesce(old.grade, '') AND has_green = (old.green > 0) AND has_yellow = (old.yellow > 0) AND has_red = (old.red > 0) AND n = 0;
  INSERT INTO report_counts (round_id, department_id, is_project, status, budget_light, grade, has_green, has_yellow, has_red, n, green, yellow, red, score_sum) VALUES (new.round_id, new.department_id, new.project_id IS NOT NULL, new.status, coalesce(new.budget_light, ''), coalesce(new.grade, ''), new.green > 0, new.yellow > 0, new.red > 0, 1, new.green, new.yellow, new.red, coalesce(new.score, 0))
    ON CONFLICT (round_id, department_id, is_project, status, budget_light, grade, has_green, has_yellow, has_red) DO UPDATE SET n = n + 1, green = green + excluded.green, yellow = yellow + excluded.yellow, red = red + excluded.red, score_sum = score_sum + excluded.score_sum;
END
--> statement-breakpoint
INSERT INTO report_counts (round_id, department_id, is_project, status, budget_light, grade, has_green, has_yellow, has_red, n, green, yellow, red, score_sum)
  SELECT r.round_id, r.department_id, r.project_id IS NOT NULL, r.status, coalesce(r.budget_light, ''), coalesce(r.grade, ''), r.green > 0, r.yellow > 0, r.red > 0, count(*), sum(r.green), sum(r.yellow), sum(r.red), sum(coalesce(r.score, 0)) FROM reports r
  GROUP BY r.round_id, r.department_id, r.project_id IS NOT NULL, r.status, coalesce(r.budget_light, ''), coalesce(r.grade, ''), r.green > 0, r.yellow > 0, r.red > 0
--> statement-breakpoint
-- reports.max_lost: the most points one row of the entry lost (self-evaluation).
CREATE TRIGGER report_rows_max_lost_insert AFTER INSERT ON report_rows WHEN new.score IS NOT NULL BEGIN
  UPDATE reports SET max_lost = max(coalesce(max_lost, -1e18), (SELECT i.weight FROM indicators i WHERE i.id = new.indicator_id) - new.score)
    WHERE id = new.report_id AND (SELECT i.weight FROM indicators i WHERE i.id = new.indicator_id) IS NOT NULL;
END
--> statement-breakpoint
CREATE TRIGGER report_rows_max_lost_update AFTER UPDATE OF score, report_id, indicator_id ON report_rows
  WHEN old.score IS NOT new.score OR old.report_id IS NOT new.report_id OR old.indicator_id IS NOT new.indicator_id
BEGIN
  UPDATE reports SET max_lost = (SELECT max(i.weight - rr.score) FROM report_rows rr JOIN indicators i ON i.id = rr.indicator_id
      WHERE rr.report_id = new.report_id AND rr.score IS NOT NULL AND i.weight IS NOT NULL)
    WHERE id = new.report_id;
  UPDATE reports SET max_lost = (SELECT max(i.weight - rr.score) FROM report_rows rr JOIN indicators i ON i.id = rr.indicator_id
      WHERE rr.report_id = old.report_id AND rr.score IS NOT NULL AND i.weight IS NOT NULL)
    WHERE id = old.report_id AND old.report_id IS NOT new.report_id;
END
--> statement-breakpoint
CREATE TRIGGER report_rows_max_lost_delete AFTER DELETE ON report_rows WHEN old.score IS NOT NULL BEGIN
  UPDATE reports SET max_lost = (SELECT max(i.weight - rr.score) FROM report_rows rr JOIN indicators i ON i.id = rr.indicator_id
      WHERE rr.report_id = old.report_id AND rr.score IS NOT NULL AND i.weight IS NOT NULL)
    WHERE id = old.report_id;
END
--> statement-breakpoint
UPDATE reports SET max_lost = (SELECT max(i.weight - rr.score) FROM report_rows rr JOIN indicators i ON i.id = rr.indicator_id
    WHERE rr.report_id = reports.id AND rr.score IS NOT NULL AND i.weight IS NOT NULL)
