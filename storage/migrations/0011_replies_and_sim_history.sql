CREATE TABLE `duty_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `duty_replies_record` ON `duty_replies` (`record_id`,`at`);--> statement-breakpoint
CREATE TABLE `sim_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_kind` text NOT NULL,
	`chat_id` text NOT NULL,
	`author_id` text,
	`author_name` text,
	`payload` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sim_messages_chat` ON `sim_messages` (`chat_kind`,`chat_id`,`id`);