#include "repair/recipe_job.h"

#include "formats/format_error.h"

namespace statescope {

namespace {

const Checkpoint& requireTarget(const RepairedEntry& entry, const Checkpoint* target, const char* what)
{
    if (!target)
        throw FormatError(entry.key + QLatin1String(": ") + QLatin1String(what));
    return *target;
}

} // namespace

TensorJob recipeJob(const RepairedEntry& entry, const Checkpoint& source, const Checkpoint* target, const TensorViewOf& viewOf)
{
    const TensorRecipe& recipe = entry.recipe;
    TensorJob job;
    if (recipe.origin != TensorRecipe::Origin::Zero) {
        if (!recipe.tensor)
            throw FormatError(entry.key + QLatin1String(": the plan names no tensor to read"));
        if (recipe.origin == TensorRecipe::Origin::Target) {
            job.input = viewOf(requireTarget(entry, target, "the plan takes this tensor from a checkpoint that was not given"),
                               *recipe.tensor, entry.key);
        } else {
            job.input = viewOf(source, *recipe.tensor, entry.sourceKey.isEmpty() ? entry.key : entry.sourceKey);
        }
    }
    job.transpose = recipe.transpose;
    static_assert(int(TensorRecipe::Resize::None) == int(TensorJob::Resize::None) &&
                      int(TensorRecipe::Resize::SlicePad) == int(TensorJob::Resize::SlicePad) &&
                      int(TensorRecipe::Resize::Interpolate) == int(TensorJob::Resize::Interpolate),
                  "the recipe's and the engine's resize modes are one list");
    job.resize = static_cast<TensorJob::Resize>(recipe.resize);
    job.resizeTo = recipe.resizeTo;
    if (recipe.padFrom)
        job.padFrom = viewOf(requireTarget(entry, target, "the plan pads from the target, but no target was given"),
                             *recipe.padFrom, entry.key);
    job.prefixTokens = recipe.prefixTokens;
    job.castTo = recipe.castTo;
    job.outDtype = recipe.dtype;
    job.outShape = recipe.shape;
    return job;
}

} // namespace statescope
