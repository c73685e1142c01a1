ALTER TABLE `meetings` ADD `party_group` text;--> statement-breakpoint
ALTER TABLE `members` ADD `party_group` text;