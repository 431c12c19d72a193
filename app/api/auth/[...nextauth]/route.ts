import { handlers } from "@/server/auth/config";
import { guardAuthPost } from "@/server/auth/guard-auth-post";

export const { GET } = handlers;
export const POST = (req: Parameters<typeof handlers.POST>[0]) => guardAuthPost(req, handlers.POST);
