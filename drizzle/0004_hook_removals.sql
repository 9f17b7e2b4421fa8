CREATE TABLE "event_hook_removals" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"element_key" text NOT NULL,
	"configuration" jsonb NOT NULL,
	"secrets" jsonb NOT NULL,
	"credentials_version" integer NOT NULL,
	"hooks" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_date" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_hooks" ADD COLUMN "handshake_secret" text;--> statement-breakpoint
ALTER TABLE "event_inbox" ADD COLUMN "shape" text DEFAULT 'hook' NOT NULL;--> statement-breakpoint
CREATE INDEX "event_hook_removals_due" ON "event_hook_removals" USING btree ("next_attempt_at");