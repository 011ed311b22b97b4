-- 0003: the payout pipeline: each cashout's submission at its provider (acknowledged or not, next attempt,
-- last contact) and the provider webhooks already handled (de-duplication by webhook id). Generated from the EF model.

CREATE TABLE "ProviderSubmissions" (
    "CashoutId" INTEGER NOT NULL CONSTRAINT "PK_ProviderSubmissions" PRIMARY KEY,
    "Provider" TEXT NOT NULL,
    "IdempotencyKey" TEXT NOT NULL,
    "ProviderPayoutId" TEXT NULL,
    "AcceptedAt" INTEGER NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "LastError" TEXT NULL,
    "LastContactAt" INTEGER NOT NULL,
    CONSTRAINT "FK_ProviderSubmissions_Cashouts_CashoutId" FOREIGN KEY ("CashoutId") REFERENCES "Cashouts" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ProviderWebhookReceipts" (
    "Provider" TEXT NOT NULL,
    "WebhookId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "CashoutId" INTEGER NULL,
    "ReceivedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_ProviderWebhookReceipts" PRIMARY KEY ("Provider", "WebhookId")
);

CREATE UNIQUE INDEX "IX_ProviderSubmissions_IdempotencyKey" ON "ProviderSubmissions" ("IdempotencyKey");
CREATE INDEX "IX_ProviderWebhookReceipts_ReceivedAt" ON "ProviderWebhookReceipts" ("ReceivedAt");
