CREATE TABLE `rectifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` integer NOT NULL,
	`report_id` integer NOT NULL,
	`requirement` text NOT NULL,
	`due_date` text NOT NULL,
	`answer` text,
	`finance_note` text,
	`status` text DEFAULT 'open' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`issued_by` integer,
	`answered_by` integer,
	`answered_at` integer,
	`closed_by` integer,
	`closed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rectifications_region_status` ON `rectifications` (`region_id`,`status`);--> statement-breakpoint
CREATE INDEX `rectifications_report` ON `rectifications` (`report_id`);--> statement-breakpoint
CREATE TABLE `report_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` integer NOT NULL,
	`report_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`action` text NOT NULL,
	`comment` text,
	`row_comments` text,
	`actor_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `report_reviews_report` ON `report_reviews` (`report_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `report_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`indicator_id` integer NOT NULL,
	`position` integer NOT NULL,
	`actual` text,
	`projected` text,
	`likelihood` text,
	`reasons` text,
	`reason_text` text,
	`measures` text,
	`light` text,
	`tier` text,
	`tier_percent` text,
	`not_applicable` integer DEFAULT false NOT NULL,
	`score` integer,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`indicator_id`) REFERENCES `indicators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_rows_report_position` ON `report_rows` (`report_id`,`position`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`project_id` integer,
	`department_target_id` integer,
	`department_id` integer NOT NULL,
	`unit_id` integer,
	`table_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`budget_annual` integer,
	`budget_executed` integer,
	`budget_reason` text,
	`budget_measures` text,
	`budget_light` text,
	`execution_rate` integer,
	`summary` text,
	`green` integer DEFAULT 0 NOT NULL,
	`yellow` integer DEFAULT 0 NOT NULL,
	`red` integer DEFAULT 0 NOT NULL,
	`unlit` integer DEFAULT 0 NOT NULL,
	`warning_count` integer DEFAULT 0 NOT NULL,
	`score` integer,
	`submitted_at` integer,
	`approved_at` integer,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_target_id`) REFERENCES `department_targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`table_id`) REFERENCES `target_tables`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_round_project` ON `reports` (`round_id`,`project_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_round_department_target` ON `reports` (`round_id`,`department_target_id`);--> statement-breakpoint
CREATE INDEX `reports_round_department_status` ON `reports` (`round_id`,`department_id`,`status`);--> statement-breakpoint
CREATE INDEX `reports_region_status` ON `reports` (`region_id`,`status`);--> statement-breakpoint
CREATE INDEX `reports_project` ON `reports` (`project_id`);--> statement-breakpoint
CREATE INDEX `reports_unit_status` ON `reports` (`unit_id`,`status`);--> statement-breakpoint
CREATE TABLE `round_reopenings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`department_id` integer,
	`project_id` integer,
	`department_target_id` integer,
	`reason` text NOT NULL,
	`due_at` integer,
	`closed_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_target_id`) REFERENCES `department_targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_reopenings_round` ON `round_reopenings` (`round_id`);--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` integer NOT NULL,
	`year` integer NOT NULL,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`opens_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`closed_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rounds_region_year_kind_period` ON `rounds` (`region_id`,`year`,`kind`,`period`);--> statement-breakpoint
DROP INDEX `target_tables_project`;--> statement-breakpoint
DROP INDEX `target_tables_department_target`;--> statement-breakpoint
CREATE UNIQUE INDEX `target_tables_project_version` ON `target_tables` (`project_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `target_tables_department_target_version` ON `target_tables` (`department_target_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `target_tables_project_current` ON `target_tables` (`project_id`) WHERE is_current = 1 AND project_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `target_tables_department_target_current` ON `target_tables` (`department_target_id`) WHERE is_current = 1 AND department_target_id IS NOT NULL;