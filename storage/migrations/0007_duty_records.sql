CREATE TABLE `duty_records` (
	`id` text PRIMARY KEY NOT NULL,
	`duty_id` text NOT NULL,
	`period` text NOT NULL,
	`member_id` text NOT NULL,
	`done_on` text NOT NULL,
	`values` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `duty_records_period` ON `duty_records` (`duty_id`,`period`,`member_id`);