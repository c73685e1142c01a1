CREATE TABLE `kb_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`title` text NOT NULL,
	`issuer` text NOT NULL,
	`doc_no` text,
	`date` text,
	`sha256` text NOT NULL,
	`passages` integer NOT NULL,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_documents_source` ON `kb_documents` (`source`);--> statement-breakpoint
CREATE TABLE `kb_passages` (
	`doc_id` text NOT NULL,
	`ord` integer NOT NULL,
	`section` text NOT NULL,
	`headings` text NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`doc_id`, `ord`)
);
--> statement-breakpoint
CREATE TABLE `kb_terms` (
	`term` text NOT NULL,
	`doc_id` text NOT NULL,
	PRIMARY KEY(`term`, `doc_id`)
);
--> statement-breakpoint
CREATE INDEX `kb_terms_doc` ON `kb_terms` (`doc_id`);--> statement-breakpoint
CREATE TABLE `qa_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`asked_at` integer NOT NULL,
	`platform` text NOT NULL,
	`sender` text NOT NULL,
	`question` text NOT NULL,
	`found` integer NOT NULL,
	`answer` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `qa_feedback` (
	`answer_id` text NOT NULL,
	`sender` text NOT NULL,
	`useful` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`answer_id`, `sender`)
);
