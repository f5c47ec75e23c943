CREATE TABLE `project_headers` (
	`table_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`category` text,
	`finance_office_code` text,
	`finance_office_name` text,
	`budget_total` integer,
	`budget_local` integer,
	`budget_superior` integer,
	`overview` text,
	`basis` text,
	`schedule` text,
	`measures` text,
	`mid_term_goal` text,
	`annual_goal` text,
	FOREIGN KEY (`table_id`) REFERENCES `target_tables`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written (docs/decisions/026): every version of a project gets the header that all its
-- versions shared until now, before the columns leave projects. Nothing is lost.
INSERT INTO `project_headers` (`table_id`, `name`, `category`, `finance_office_code`, `finance_office_name`, `budget_total`, `budget_local`, `budget_superior`, `overview`, `basis`, `schedule`, `measures`, `mid_term_goal`, `annual_goal`)
SELECT t.`id`, p.`name`, p.`category`, p.`finance_office_code`, p.`finance_office_name`, p.`budget_total`, p.`budget_local`, p.`budget_superior`, p.`overview`, p.`basis`, p.`schedule`, p.`measures`, p.`mid_term_goal`, p.`annual_goal`
FROM `target_tables` t JOIN `projects` p ON p.`id` = t.`project_id`;
--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `finance_office_code`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `finance_office_name`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `budget_local`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `budget_superior`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `overview`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `basis`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `schedule`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `measures`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `mid_term_goal`;--> statement-breakpoint
ALTER TABLE `projects` DROP COLUMN `annual_goal`;