// Filled in with the migrated template database once the schema exists.
export default async function setup() {}
