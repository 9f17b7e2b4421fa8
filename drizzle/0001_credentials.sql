CREATE TABLE "quota_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"used" integer NOT NULL,
	"blocked_until" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "credentials_version" integer DEFAULT 0 NOT NULL;