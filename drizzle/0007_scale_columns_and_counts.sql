CREATE TABLE `project_counts` (
	`region_id` integer NOT NULL,
	`year` integer NOT NULL,
	`department_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`adjustment_status` text NOT NULL,
	`n` integer NOT NULL,
	`errors` integer NOT NULL,
	`warnings` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_counts_key` ON `project_counts` (`region_id`,`year`,`department_id`,`unit_id`,`category`,`status`,`adjustment_status`);--> statement-breakpoint
CREATE TABLE `report_counts` (
	`round_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	`is_project` integer NOT NULL,
	`status` text NOT NULL,
	`budget_light` text NOT NULL,
	`grade` text NOT NULL,
	`has_green` integer NOT NULL,
	`has_yellow` integer NOT NULL,
	`has_red` integer NOT NULL,
	`n` integer NOT NULL,
	`green` integer NOT NULL,
	`yellow` integer NOT NULL,
	`red` integer NOT NULL,
	`score_sum` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_counts_key` ON `report_counts` (`round_id`,`department_id`,`is_project`,`status`,`budget_light`,`grade`,`has_green`,`has_yellow`,`has_red`);--> statement-breakpoint
DROP INDEX `projects_region_year_department`;--> statement-breakpoint
DROP INDEX `projects_region_year_unit`;--> statement-breakpoint
ALTER TABLE `projects` ADD `status` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `error_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `warning_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `adjustment_status` text;--> statement-breakpoint
CREATE INDEX `projects_region_year_code` ON `projects` (`region_id`,`year`,`code`);--> statement-breakpoint
CREATE INDEX `projects_region_year_budget` ON `projects` (`region_id`,`year`,`budget_total`);--> statement-breakpoint
CREATE INDEX `projects_region_year_updated` ON `projects` (`region_id`,`year`,`updated_at`);--> statement-breakpoint
CREATE INDEX `projects_region_year_findings` ON `projects` (`region_id`,`year`,`error_count`,`warning_count`);--> statement-breakpoint
CREATE INDEX `projects_region_year_status_name` ON `projects` (`region_id`,`year`,`status`,`name`);--> statement-breakpoint
CREATE INDEX `projects_region_year_department` ON `projects` (`region_id`,`year`,`department_id`,`name`);--> statement-breakpoint
CREATE INDEX `projects_region_year_unit` ON `projects` (`region_id`,`year`,`unit_id`,`name`);--> statement-breakpoint
ALTER TABLE `reports` ADD `max_lost` integer;--> statement-breakpoint
CREATE INDEX `reports_round_status_max_lost` ON `reports` (`round_id`,`status`,`max_lost`);--> statement-breakpoint
CREATE INDEX `reports_round_department_grade` ON `reports` (`round_id`,`department_id`,`grade`);--> statement-breakpoint
CREATE INDEX `reviews_region_time` ON `reviews` (`region_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `score_adjustments_region_time` ON `score_adjustments` (`region_id`,`created_at`);