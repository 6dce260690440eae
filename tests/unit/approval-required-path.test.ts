import { describe, expect, it } from "vitest";
import { approvalRequiredPath } from "@/components/promotions/links";
import { ApprovalRequiredError } from "@/lib/errors";

describe("the request a 'needs approval' answer points at", () => {
  it("is the path the error's message ends in, with or without the server's origin", () => {
    const error = new ApprovalRequiredError("Moving version 3 of churn to Production needs approval. Promotion request cm1 is pending", "/projects/demo/requests/cm1");
    expect(approvalRequiredPath(error.message)).toBe("/projects/demo/requests/cm1");
    expect(approvalRequiredPath(error.at("https://tally.example.com/").message)).toBe("/projects/demo/requests/cm1");
  });

  it("is none for any other refusal", () => {
    expect(approvalRequiredPath("Alias champion is protected by the project's approval policy")).toBeNull();
    expect(approvalRequiredPath("see /projects/demo/requests/cm1 for details")).toBeNull();
  });
});
