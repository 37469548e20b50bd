import { Testing } from "cdktf";
import { expect } from "vitest";

// cdktf ships its matchers (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...)
// through a jest adapter that calls `expect.extend` on the global expect and uses its asymmetric
// matchers; vitest's expect offers both, so it is handed over as the global.
Object.assign(globalThis, { expect });
Testing.setupJest();

interface TerraformConstructor {
  readonly tfResourceType: string;
}

interface CdktfMatchers<R = unknown> {
  toHaveResource(resource: TerraformConstructor): R;
  toHaveResourceWithProperties(resource: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveDataSource(dataSource: TerraformConstructor): R;
  toHaveDataSourceWithProperties(dataSource: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveProvider(provider: TerraformConstructor): R;
  toHaveProviderWithProperties(provider: TerraformConstructor, properties: Record<string, unknown>): R;
  toBeValidTerraform(): R;
  toPlanSuccessfully(): R;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors vitest's own Assertion<T = any>
  interface Assertion<T = any> extends CdktfMatchers<T> {}
  interface AsymmetricMatchersContaining extends CdktfMatchers {}
}
