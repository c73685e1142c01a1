CREATE TABLE `attendance` (
	`meeting_id` text NOT NULL,
	`who` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`guest` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `who`)
);
--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`card_id` text,
	`type` text NOT NULL,
	`topic` text NOT NULL,
	`starter_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`late_after_min` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meetings_one_open` ON `meetings` (`platform`,`chat_id`) WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX `meetings_org` ON `meetings` (`org_id`,`starts_at`);