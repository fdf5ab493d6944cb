import { inspect, type InspectOptionsStylized } from 'node:util';

/**
 * Class decorator: `util.inspect` (and `console.log`) of an instance prints its class name and a
 * short summary instead of walking its references, which lead into Nest's whole container, the
 * HTTP pool and the credentials of requests in flight.
 */
export function InspectsAs<T>(summary: (instance: T) => Record<string, unknown> = () => ({})) {
  return (target: Function): void => {
    Object.defineProperty(target.prototype, inspect.custom, {
      value(this: T, _depth: number, options: InspectOptionsStylized): string {
        return `${target.name} ${inspect(summary(this), { ...options, depth: 2 })}`;
      },
    });
  };
}
