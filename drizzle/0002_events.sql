CREATE TABLE "event_changes" (
	"instance_id" integer NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"changed_at" text NOT NULL,
	"event_id" text NOT NULL,
	"created_date" timestamp with time zone NOT NULL,
	CONSTRAINT "event_changes_instance_id_object_type_object_id_changed_at_pk" PRIMARY KEY("instance_id","object_type","object_id","changed_at")
);
--> statement-breakpoint
CREATE TABLE "event_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"instance_id" integer NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"url" text,
	"last_status" integer,
	"last_error" text,
	"created_date" timestamp with time zone NOT NULL,
	"updated_date" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_hooks" (
	"instance_id" integer PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"handshake_until" timestamp with time zone,
	"hooks" jsonb NOT NULL,
	"status" text NOT NULL,
	"last_error" text,
	"updated_date" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_inbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"body" jsonb NOT NULL,
	"received_date" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "event_poll_state" (
	"instance_id" integer NOT NULL,
	"resource" text NOT NULL,
	"watermark" timestamp with time zone NOT NULL,
	"next_poll_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "event_poll_state_instance_id_resource_pk" PRIMARY KEY("instance_id","resource")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"element_key" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"provider_data" text NOT NULL,
	"body" text NOT NULL,
	"created_date" timestamp with time zone NOT NULL,
	"updated_date" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_changes" ADD CONSTRAINT "event_changes_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_inbox" ADD CONSTRAINT "event_inbox_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_poll_state" ADD CONSTRAINT "event_poll_state_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_deliveries_event" ON "event_deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_deliveries_due" ON "event_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "event_inbox_due" ON "event_inbox" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "events_instance" ON "events" USING btree ("instance_id","created_date");