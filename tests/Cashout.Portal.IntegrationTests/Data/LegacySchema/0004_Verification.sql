-- 0004: merchant verification (business details on the merchant profile) and the hash-chained audit log.
-- Generated from the EF model, then the append-only triggers were added by hand.

ALTER TABLE "MerchantProfiles" ADD COLUMN "LegalName" TEXT NULL;
ALTER TABLE "MerchantProfiles" ADD COLUMN "Country" TEXT NULL;
ALTER TABLE "MerchantProfiles" ADD COLUMN "ContactName" TEXT NULL;
ALTER TABLE "MerchantProfiles" ADD COLUMN "ContactPhone" TEXT NULL;
ALTER TABLE "MerchantProfiles" ADD COLUMN "ContactEmail" TEXT NULL;
ALTER TABLE "MerchantProfiles" ADD COLUMN "SubmittedAt" INTEGER NULL;

CREATE INDEX "IX_MerchantProfiles_Status_SubmittedAt" ON "MerchantProfiles" ("Status", "SubmittedAt");

CREATE TABLE "AuditEntries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY,
    "At" INTEGER NOT NULL,
    "Category" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "ActorKind" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "ActorName" TEXT NULL,
    "IpAddress" TEXT NULL,
    "SubjectType" TEXT NULL,
    "SubjectId" TEXT NULL,
    "Summary" TEXT NOT NULL,
    "Before" TEXT NULL,
    "After" TEXT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE INDEX "IX_AuditEntries_Action_At" ON "AuditEntries" ("Action", "At");

CREATE INDEX "IX_AuditEntries_At" ON "AuditEntries" ("At");

-- One entry per previous hash: the chain cannot fork, even if two writers raced.
CREATE UNIQUE INDEX "IX_AuditEntries_PreviousHash" ON "AuditEntries" ("PreviousHash");

CREATE INDEX "IX_AuditEntries_SubjectType_SubjectId" ON "AuditEntries" ("SubjectType", "SubjectId");

-- The audit log is append-only: an entry is never changed or removed.
CREATE TRIGGER "AuditEntries_AppendOnly_Update" BEFORE UPDATE ON "AuditEntries" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER "AuditEntries_AppendOnly_Delete" BEFORE DELETE ON "AuditEntries" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
