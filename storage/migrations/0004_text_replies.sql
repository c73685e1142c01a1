CREATE TABLE `text_cards` (
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`card_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`platform`, `chat_id`)
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `context` text;