import { Command } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect } from "effect"
import { shippedFile } from "../PackageRoot.ts"

export const CRD_FILE = "k8s/exposedapi-crd.yaml"

/** `crd`: the ExposedAPI CRD shipped with the operator, as `kubectl apply -f -` takes it. */
export const crdCommand = Command.make("crd", {}, () =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(shippedFile(CRD_FILE))).pipe(
    Effect.mapError((error) => new Error(`${shippedFile(CRD_FILE)}: the shipped CRD cannot be read (${error.message}); the installation is incomplete`)),
    Effect.flatMap((crd) => Console.log(crd.trimEnd()))
  )).pipe(
    Command.withDescription("Print the ExposedAPI CustomResourceDefinition the operator ships (e.g. oda-apim-operator crd | kubectl apply -f -)")
  )
