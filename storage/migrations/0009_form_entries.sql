CREATE TABLE `form_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`form_id` text NOT NULL,
	`org_id` text NOT NULL,
	`period` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`answers` text NOT NULL,
	`review` text,
	`result` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_by` text,
	`submitted_at` integer,
	`reviewed_by` text,
	`reviewed_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `form_entries_version` ON `form_entries` (`form_id`,`org_id`,`period`,`version`);