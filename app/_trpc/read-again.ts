import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Reads the queries under `queryKey` again from the server, after something changed there (a live
 * push, or a live channel that has just joined its rooms). A read already in flight is cancelled
 * first: TanStack Query restarts an in-flight read on refetch only when the query already has
 * data, and otherwise answers with that read, which may have been made before the change.
 */
export async function readAgain(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}
