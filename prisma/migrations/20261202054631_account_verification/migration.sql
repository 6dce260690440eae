-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailVerifiedAt" TIMESTAMP(3),
ADD COLUMN     "emailVerifiedBy" TEXT;

-- AlterTable
ALTER TABLE "Invite" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "ApiTokenAddress" (
    "tokenId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiTokenAddress_pkey" PRIMARY KEY ("tokenId","address")
);

-- AddForeignKey
ALTER TABLE "ApiTokenAddress" ADD CONSTRAINT "ApiTokenAddress_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Accounts without a password were created by single sign-on, which until now took the provider's
-- word for the email: they count as verified by OIDC. Password accounts start unverified.
UPDATE "User" SET "emailVerifiedAt" = "createdAt", "emailVerifiedBy" = 'oidc' WHERE "passwordHash" IS NULL;
