-- CreateTable
CREATE TABLE "TunnelSession" (
    "id" TEXT NOT NULL,
    "tunnelId" TEXT NOT NULL,
    "connectedAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "staleAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "requests" BIGINT NOT NULL DEFAULT 0,
    "bytesIn" BIGINT NOT NULL DEFAULT 0,
    "bytesOut" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "TunnelSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TunnelSession_tunnelId_staleAt_idx" ON "TunnelSession"("tunnelId", "staleAt");

-- AddForeignKey
ALTER TABLE "TunnelSession" ADD CONSTRAINT "TunnelSession_tunnelId_fkey" FOREIGN KEY ("tunnelId") REFERENCES "Tunnel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
