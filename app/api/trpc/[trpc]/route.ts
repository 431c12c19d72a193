import { handleTrpcRequest } from "@/server/api/http-handler";
import { currentUser } from "@/server/auth/config";

const handler = (req: Request) => handleTrpcRequest(req, { currentUser });

export { handler as GET, handler as POST };
