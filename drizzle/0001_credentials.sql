CREATE TABLE "quota_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"second_window" bigint NOT NULL,
	"second_used" integer NOT NULL,
	"minute_window" bigint NOT NULL,
	"minute_used" integer NOT NULL,
	"blocked_until" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "credentials_version" integer DEFAULT 0 NOT NULL;