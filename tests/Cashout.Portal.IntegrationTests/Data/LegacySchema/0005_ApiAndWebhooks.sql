-- 0006: the machine APIs: API credentials (pass hashed, signature secret encrypted), balance account ids
-- (family B), idempotency records, webhook endpoints and the webhook delivery outbox with its attempts.
-- Generated from the EF model.

CREATE TABLE "IdempotencyRecords" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_IdempotencyRecords" PRIMARY KEY AUTOINCREMENT,
    "MerchantId" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "ResponseStatus" INTEGER NULL,
    "ResponseJson" TEXT NULL,
    "ResponseHeaders" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL
);

CREATE TABLE "WebhookDeliveries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WebhookDeliveries" PRIMARY KEY,
    "MerchantId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "LastResponseCode" INTEGER NULL,
    "LastError" TEXT NULL,
    "DeliveredAt" INTEGER NULL
);

CREATE TABLE "ApiCredentials" (
    "MerchantId" TEXT NOT NULL CONSTRAINT "PK_ApiCredentials" PRIMARY KEY,
    "Login" TEXT NOT NULL,
    "PassSalt" TEXT NOT NULL,
    "PassHash" TEXT NOT NULL,
    "ProtectedSignatureSecret" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RotatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_ApiCredentials_AspNetUsers_MerchantId" FOREIGN KEY ("MerchantId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "BalanceAccounts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_BalanceAccounts" PRIMARY KEY,
    "MerchantId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_BalanceAccounts_AspNetUsers_MerchantId" FOREIGN KEY ("MerchantId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WebhookEndpoints" (
    "MerchantId" TEXT NOT NULL CONSTRAINT "PK_WebhookEndpoints" PRIMARY KEY,
    "Url" TEXT NOT NULL,
    "ProtectedSigningSecret" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_WebhookEndpoints_AspNetUsers_MerchantId" FOREIGN KEY ("MerchantId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "WebhookAttempts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WebhookAttempts" PRIMARY KEY AUTOINCREMENT,
    "DeliveryId" TEXT NOT NULL,
    "Number" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "ResponseCode" INTEGER NULL,
    "Error" TEXT NULL,
    "DurationMs" INTEGER NOT NULL,
    CONSTRAINT "FK_WebhookAttempts_WebhookDeliveries_DeliveryId" FOREIGN KEY ("DeliveryId") REFERENCES "WebhookDeliveries" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_ApiCredentials_Login" ON "ApiCredentials" ("Login");

CREATE UNIQUE INDEX "IX_BalanceAccounts_MerchantId" ON "BalanceAccounts" ("MerchantId");

CREATE INDEX "IX_IdempotencyRecords_ExpiresAt" ON "IdempotencyRecords" ("ExpiresAt");

CREATE UNIQUE INDEX "IX_IdempotencyRecords_MerchantId_Key" ON "IdempotencyRecords" ("MerchantId", "Key");

CREATE INDEX "IX_WebhookAttempts_DeliveryId" ON "WebhookAttempts" ("DeliveryId");

CREATE INDEX "IX_WebhookDeliveries_MerchantId_CreatedAt" ON "WebhookDeliveries" ("MerchantId", "CreatedAt");

CREATE INDEX "IX_WebhookDeliveries_Status_NextAttemptAt" ON "WebhookDeliveries" ("Status", "NextAttemptAt");
