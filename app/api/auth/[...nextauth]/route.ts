export { authGET as GET, authPOST as POST } from "@/server/auth/route-handlers";
