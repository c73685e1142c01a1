CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_subject` ON `audit_log` (`subject`);--> statement-breakpoint
CREATE TABLE `cards` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`chat_kind` text NOT NULL,
	`chat_id` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chats` (
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`title` text,
	`org_id` text,
	`bound_by` text,
	`bound_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `chat_id`)
);
--> statement-breakpoint
CREATE TABLE `identities` (
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`platform`, `external_id`)
);
--> statement-breakpoint
CREATE INDEX `identities_member` ON `identities` (`member_id`);--> statement-breakpoint
CREATE TABLE `inbound_seen` (
	`platform` text NOT NULL,
	`key` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `key`)
);
--> statement-breakpoint
CREATE INDEX `inbound_seen_at` ON `inbound_seen` (`seen_at`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`org_id` text NOT NULL,
	`roles` text NOT NULL,
	`mobile` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `members_org` ON `members` (`org_id`);--> statement-breakpoint
CREATE INDEX `members_name` ON `members` (`name`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`path` text NOT NULL,
	`kind` text NOT NULL,
	`parent_id` text,
	`school` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_path` ON `organisations` (`path`);--> statement-breakpoint
CREATE INDEX `organisations_name` ON `organisations` (`name`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`platform` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);