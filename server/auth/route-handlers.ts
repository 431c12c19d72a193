import "server-only";

import type { NextRequest } from "next/server";
import { handlers } from "./config";
import { guardAuthPost } from "./guard-auth-post";

/** next-auth's endpoints (/api/auth/*), served by the App Router route and beside Next alike. */
export const authGET = (req: NextRequest) => handlers.GET(req);
export const authPOST = (req: NextRequest) => guardAuthPost(req, handlers.POST);
