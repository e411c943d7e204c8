CREATE UNIQUE INDEX "user_email_lower_key" ON "user" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "verification_value_key" ON "verification" USING btree ("value");