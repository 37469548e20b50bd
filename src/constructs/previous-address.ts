// cdktf's own logical-id function, so an address computed here is exactly the one cdktf wrote.
import { makeUniqueId } from "cdktf/lib/private/unique";

/**
 * The Terraform address a resource had when it sat at `path` (construct ids below the stack)
 * before a refactor moved it in the construct tree. Passed to `moveFromId`, it becomes a `moved`
 * block, so `tofu plan` moves the state entry instead of destroying and re-creating the object
 * (developer.hashicorp.com/terraform/language/modules/develop/refactoring). Keep a moved block
 * while any cluster's state may still hold the old address.
 */
export function previousAddress(type: string, path: readonly string[]): string {
  return `${type}.${makeUniqueId([...path])}`;
}
