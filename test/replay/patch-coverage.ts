// What the replay test measures its histories against: the patches in force (read from the workflow sources with the
// TypeScript compiler) and a workflow bundle whose `patched` / `deprecatePatch` report each ask (./workflow-shim.ts).
import path from 'node:path';
import ts from 'typescript';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows } from '../helpers/temporal';
import type { PatchSide } from './workflow-shim';

const ROOT = path.resolve(__dirname, '../..');
const ENTRY = path.join(ROOT, 'workflows/index.ts');
const PATCH_FUNCTIONS: Record<string, readonly PatchSide[]> = {
  patched: ['new', 'old'],
  // A deprecated patch has one branch left: the new code (histories without its marker are no longer expected).
  deprecatePatch: ['new'],
};

export interface PatchPoint {
  patchId: string;
  /** The sides a history can take at this call. */
  sides: readonly PatchSide[];
  /** `workflows/case/handlers.ts:120`, for the failure message. */
  where: string;
}

/**
 * Every call of `patched()` / `deprecatePatch()` imported from `@temporalio/workflow` in the project code the bundle's
 * entry point reaches, with its patch id: the string literal type of the argument, so a constant
 * (`CASE_PATCHES.notices`) counts as the literal it holds. An argument that is not one literal is an error naming the
 * call. Only project files are read (libraries stay unresolved: reading their declarations took ten times as long).
 */
export function patchPointsInForce(): PatchPoint[] {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options, noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map(({ text }) => {
      const { resolvedModule } = ts.resolveModuleName(text, containingFile, options, host);
      return { resolvedModule: resolvedModule?.isExternalLibraryImport ? undefined : resolvedModule };
    });
  const program = ts.createProgram([ENTRY], options, host);
  const checker = program.getTypeChecker();
  const points: PatchPoint[] = [];
  for (const file of program.getSourceFiles()) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const sides = PATCH_FUNCTIONS[workflowPackageFunction(checker, node.expression) ?? ''];
        if (sides) points.push({ patchId: literalPatchId(checker, node, file), sides, where: location(node, file) });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return points;
}

/** The name of the `@temporalio/workflow` export `callee` calls (`patched(…)`, `wf.patched(…)`), if it calls one. */
function workflowPackageFunction(checker: ts.TypeChecker, callee: ts.Expression): string | undefined {
  const imported = (name: ts.Node) => checker.getSymbolAtLocation(name)?.declarations?.[0];
  if (ts.isIdentifier(callee)) {
    const declaration = imported(callee);
    if (declaration && ts.isImportSpecifier(declaration) && fromWorkflowPackage(declaration))
      return (declaration.propertyName ?? declaration.name).text;
  } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const declaration = imported(callee.expression);
    if (declaration && ts.isNamespaceImport(declaration) && fromWorkflowPackage(declaration)) return callee.name.text;
  }
  return undefined;
}

function fromWorkflowPackage(declaration: ts.ImportSpecifier | ts.NamespaceImport): boolean {
  let node: ts.Node = declaration;
  while (!ts.isImportDeclaration(node)) node = node.parent;
  return ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === '@temporalio/workflow';
}

function literalPatchId(checker: ts.TypeChecker, call: ts.CallExpression, file: ts.SourceFile): string {
  const type = call.arguments[0] && checker.getTypeAtLocation(call.arguments[0]);
  if (!type?.isStringLiteral())
    throw new Error(
      `${location(call, file)}: the patch id is not a string literal (nor a constant holding one), so the replay test cannot tell which patch it is`,
    );
  return type.value;
}

function location(node: ts.Node, file: ts.SourceFile): string {
  return `${path.relative(ROOT, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
}

/** The project's workflows with `@temporalio/workflow` resolved to ./workflow-shim.ts (its own deep import excepted). */
export function instrumentedWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflows({
    webpackConfigHook: (config) => {
      const alias = config.resolve?.alias;
      if (Array.isArray(alias)) throw new Error('the SDK bundler now gives resolve.alias as a list: adapt instrumentedWorkflowBundle');
      return {
        ...config,
        resolve: { ...config.resolve, alias: { ...alias, '@temporalio/workflow$': path.join(__dirname, 'workflow-shim.ts') } },
      };
    },
  });
}
