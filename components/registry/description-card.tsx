import { Card, CardBody, CardHeader } from "../ui/card";
import { DescriptionEditor } from "./description-editor";
import type { RegistryTarget } from "./target";

/** The description of a model or a version, in a card; editable in place by those allowed. */
export function DescriptionCard({ target, description, canEdit }: { target: RegistryTarget; description: string | null; canEdit: boolean }) {
  return (
    <Card>
      <CardHeader title="Description" description={canEdit ? "Click to edit." : undefined} />
      <CardBody>
        <DescriptionEditor target={target} description={description ?? ""} canEdit={canEdit} />
      </CardBody>
    </Card>
  );
}
