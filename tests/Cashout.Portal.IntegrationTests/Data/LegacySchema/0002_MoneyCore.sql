-- 0002: the money core: ledger accounts with running balances, transactions and entries, pending fundings,
-- merchant profiles (verification), payment methods, cashouts with their timeline, declined attempts.
-- Generated from the EF model, then the append-only triggers were added by hand.

CREATE TABLE "Cashouts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Cashouts" PRIMARY KEY AUTOINCREMENT,
    "MerchantId" TEXT NOT NULL,
    "Method" TEXT NOT NULL,
    "FeeSemantics" TEXT NOT NULL,
    "Quote" TEXT NOT NULL,
    "PayeeReference" TEXT NOT NULL,
    "ExternalId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "HoldReason" TEXT NULL,
    "HeldBy" TEXT NULL,
    "ProviderReference" TEXT NULL,
    "RejectionCode" TEXT NULL,
    "RejectionReason" TEXT NULL,
    "CompletedAt" INTEGER NULL,
    "ReversibleUntil" INTEGER NULL,
    "Version" INTEGER NOT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "DebitCurrency" TEXT NOT NULL,
    "Debit" INTEGER NOT NULL,
    "FeeCurrency" TEXT NOT NULL,
    "Fee" INTEGER NOT NULL,
    "NetPayoutCurrency" TEXT NOT NULL,
    "NetPayout" INTEGER NOT NULL
);

CREATE TABLE "DeclinedAttempts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DeclinedAttempts" PRIMARY KEY AUTOINCREMENT,
    "MerchantId" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "Method" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "Rule" TEXT NOT NULL,
    "Message" TEXT NOT NULL,
    "Detail" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);

CREATE TABLE "LedgerAccounts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LedgerAccounts" PRIMARY KEY AUTOINCREMENT,
    "Key" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "MerchantId" TEXT NULL,
    "Provider" TEXT NULL,
    "Balance" INTEGER NOT NULL,
    CONSTRAINT "CK_LedgerAccounts_NonNegative" CHECK (Kind NOT IN ('MerchantAvailable', 'MerchantPending', 'MerchantReserved') OR Balance >= 0)
);

CREATE TABLE "LedgerTransactions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LedgerTransactions" PRIMARY KEY AUTOINCREMENT,
    "Kind" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "PostedAt" INTEGER NOT NULL,
    "MerchantId" TEXT NULL,
    "CashoutId" INTEGER NULL
);

CREATE TABLE "PaymentMethods" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PaymentMethods" PRIMARY KEY AUTOINCREMENT,
    "MerchantId" TEXT NOT NULL,
    "Method" TEXT NOT NULL,
    "PayeeEmail" TEXT NULL,
    "PayeeId" TEXT NULL,
    "BankHolderName" TEXT NULL,
    "BankIban" TEXT NULL,
    "BankAccountNumber" TEXT NULL,
    "BankCountry" TEXT NULL,
    "BankCurrency" TEXT NULL,
    "TransferInstrumentId" TEXT NULL,
    "SupportsInstant" INTEGER NOT NULL,
    "LinkedAt" INTEGER NOT NULL,
    "UnlinkedAt" INTEGER NULL
);

CREATE TABLE "PendingFundings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PendingFundings" PRIMARY KEY AUTOINCREMENT,
    "MerchantId" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "SettlesAt" INTEGER NOT NULL,
    "SettledAt" INTEGER NULL
);

CREATE TABLE "MerchantProfiles" (
    "MerchantId" TEXT NOT NULL CONSTRAINT "PK_MerchantProfiles" PRIMARY KEY,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ReviewedAt" INTEGER NULL,
    "ReviewedBy" TEXT NULL,
    "RejectionReason" TEXT NULL,
    CONSTRAINT "FK_MerchantProfiles_AspNetUsers_MerchantId" FOREIGN KEY ("MerchantId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CashoutEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CashoutEvents" PRIMARY KEY AUTOINCREMENT,
    "CashoutId" INTEGER NOT NULL,
    "Type" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "FromStatus" TEXT NULL,
    "ToStatus" TEXT NULL,
    "ActorKind" TEXT NOT NULL,
    "ActorId" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "ProviderCode" TEXT NULL,
    "Detail" TEXT NULL,
    CONSTRAINT "FK_CashoutEvents_Cashouts_CashoutId" FOREIGN KEY ("CashoutId") REFERENCES "Cashouts" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "LedgerEntries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_LedgerEntries" PRIMARY KEY AUTOINCREMENT,
    "TransactionId" INTEGER NOT NULL,
    "AccountId" INTEGER NOT NULL,
    "Amount" INTEGER NOT NULL,
    CONSTRAINT "FK_LedgerEntries_LedgerAccounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "LedgerAccounts" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_LedgerEntries_LedgerTransactions_TransactionId" FOREIGN KEY ("TransactionId") REFERENCES "LedgerTransactions" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_CashoutEvents_CashoutId_Id" ON "CashoutEvents" ("CashoutId", "Id");

CREATE INDEX "IX_Cashouts_MerchantId_CreatedAt" ON "Cashouts" ("MerchantId", "CreatedAt");

CREATE UNIQUE INDEX "IX_Cashouts_MerchantId_ExternalId" ON "Cashouts" ("MerchantId", "ExternalId") WHERE ExternalId IS NOT NULL;

CREATE UNIQUE INDEX "IX_Cashouts_OneAwaitingPerMerchant" ON "Cashouts" ("MerchantId") WHERE Status IN ('Pending', 'OnHold');

CREATE INDEX "IX_Cashouts_Status_CreatedAt" ON "Cashouts" ("Status", "CreatedAt");

CREATE INDEX "IX_DeclinedAttempts_At" ON "DeclinedAttempts" ("At");

CREATE INDEX "IX_DeclinedAttempts_MerchantId_At" ON "DeclinedAttempts" ("MerchantId", "At");

CREATE UNIQUE INDEX "IX_LedgerAccounts_Key" ON "LedgerAccounts" ("Key");

CREATE INDEX "IX_LedgerAccounts_MerchantId" ON "LedgerAccounts" ("MerchantId");

CREATE INDEX "IX_LedgerEntries_AccountId" ON "LedgerEntries" ("AccountId");

CREATE INDEX "IX_LedgerEntries_TransactionId" ON "LedgerEntries" ("TransactionId");

CREATE INDEX "IX_LedgerTransactions_CashoutId" ON "LedgerTransactions" ("CashoutId");

CREATE INDEX "IX_LedgerTransactions_MerchantId_PostedAt" ON "LedgerTransactions" ("MerchantId", "PostedAt");

CREATE UNIQUE INDEX "IX_PaymentMethods_OneLinkedPerKind" ON "PaymentMethods" ("MerchantId", "Method") WHERE UnlinkedAt IS NULL;

CREATE UNIQUE INDEX "IX_PaymentMethods_TransferInstrumentId" ON "PaymentMethods" ("TransferInstrumentId") WHERE TransferInstrumentId IS NOT NULL;

CREATE INDEX "IX_PendingFundings_SettledAt_SettlesAt" ON "PendingFundings" ("SettledAt", "SettlesAt");

-- The ledger is append-only: a posted entry or transaction is never changed or removed; corrections are new postings.
CREATE TRIGGER "LedgerEntries_AppendOnly_Update" BEFORE UPDATE ON "LedgerEntries" BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER "LedgerEntries_AppendOnly_Delete" BEFORE DELETE ON "LedgerEntries" BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER "LedgerTransactions_AppendOnly_Update" BEFORE UPDATE ON "LedgerTransactions" BEGIN SELECT RAISE(ABORT, 'ledger transactions are append-only'); END;
CREATE TRIGGER "LedgerTransactions_AppendOnly_Delete" BEFORE DELETE ON "LedgerTransactions" BEGIN SELECT RAISE(ABORT, 'ledger transactions are append-only'); END;
