import { type TerraformResource, TerraformStack } from "cdktf";
// cdktf's own logical-id function, so an address computed here is exactly the one cdktf wrote.
import { makeUniqueId } from "cdktf/lib/private/unique";

/**
 * The Terraform address a resource had when it sat at `path` (construct ids below the stack)
 * before a refactor moved it in the construct tree.
 */
export function previousAddress(type: string, path: readonly string[]): string {
  return `${type}.${makeUniqueId([...path])}`;
}

const MOVES = new WeakMap<TerraformStack, { from: string; to: string }[]>();

/**
 * Records that `resource` used to live at `path`, as a `moved` block in its stack, so `tofu plan`
 * moves the state entry instead of destroying and re-creating the object
 * (developer.hashicorp.com/terraform/language/modules/develop/refactoring). Written as plain
 * Terraform JSON rather than through `moveFromId`: cdktf then runs `terraform version` on every
 * synth (a binary the synth must not need, and 2 s of 27 spawns). Keep a moved block while any
 * cluster's state may still hold the old address.
 */
export function movedFrom(resource: TerraformResource, path: readonly string[]): void {
  const stack = TerraformStack.of(resource);
  const moves = MOVES.get(stack) ?? [];
  moves.push({
    from: previousAddress(resource.terraformResourceType, path),
    to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
  });
  MOVES.set(stack, moves);
  stack.addOverride("moved", [...moves]);
}
