import { describe, expect, it } from "vitest";
import { parseImage } from "../../src/policy/image-reference.js";

describe("parseImage", () => {
  it.each([
    [
      "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
      { repository: "nvcr.io/nvidia/k8s-device-plugin", tag: "v0.20.0", digest: undefined },
    ],
    ["busybox", { repository: "busybox", tag: undefined, digest: undefined }],
    [
      "registry.example.com:5000/team/app",
      { repository: "registry.example.com:5000/team/app", tag: undefined, digest: undefined },
    ],
    [
      "registry.example.com:5000/team/app:1.2",
      { repository: "registry.example.com:5000/team/app", tag: "1.2", digest: undefined },
    ],
    ["app:1.2@sha256:abc", { repository: "app", tag: "1.2", digest: "sha256:abc" }],
    ["app@sha256:abc", { repository: "app", tag: undefined, digest: "sha256:abc" }],
  ])(
    "GIVEN %s WHEN parsed THEN repository, tag and digest are split the way the runtime reads them",
    (image, expected) => {
      expect(parseImage(image)).toEqual(expected);
    },
  );
});
