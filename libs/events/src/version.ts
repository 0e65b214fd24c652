/** The product's version (root package.json): named in OCSF findings and OpenAPI documents. A test keeps them equal. */
export const VIGIL_VERSION = '0.1.0';
