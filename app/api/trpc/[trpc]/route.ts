import { handleTrpcRequest } from "@/server/trpc/http-handler";

export const dynamic = "force-dynamic";
export { handleTrpcRequest as GET, handleTrpcRequest as POST };
