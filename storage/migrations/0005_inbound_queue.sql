CREATE TABLE `inbound_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_queue_key` ON `inbound_queue` (`platform`,`key`);--> statement-breakpoint
CREATE INDEX `inbound_queue_due` ON `inbound_queue` (`status`,`next_attempt_at`);