// The viewer's single import point for the colour pipeline (./colour, owned by the colour module).
export * from './colour';
