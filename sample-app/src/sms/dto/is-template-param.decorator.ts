import { ValidateBy, isObject, type ValidationOptions } from 'class-validator';

/** Names of the variables whose value is neither a string nor a finite number. */
function invalidVariables(value: object): string[] {
  return Object.entries(value)
    .filter(([, v]) => typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v)))
    .map(([name]) => `"${name}"`);
}

/** Template variables: an object of strings and numbers, e.g. `{ "code": "123456" }`. */
export function IsTemplateParam(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTemplateParam',
      validator: {
        validate: (value: unknown) => isObject(value) && invalidVariables(value).length === 0,
        defaultMessage: (args) => {
          if (!isObject(args?.value)) return 'must be an object of template variables, e.g. {"code":"123456"}';
          const names = invalidVariables(args.value);
          return names.length === 1 ? `variable ${names[0]} must be a string or a number` : `variables ${names.join(', ')} must be strings or numbers`;
        },
      },
    },
    options,
  );
}
